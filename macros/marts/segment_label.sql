{#- Rule D5 slices: the slice's name, unique across types within a period: 'all', else '<segment_type>:<segment_value>' (so `value_segment:core` and `product_line:core` are two slices). -#}
{% macro segment_label(segment_type, segment_value) -%}
    case
        when {{ segment_type }} = 'all' then 'all'
        else {{ dbt.concat([segment_type, "':'", segment_value]) }}
    end
{%- endmacro %}
