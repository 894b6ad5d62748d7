{#- Rule D5 slices: an account's value for one slice type, read from the `value_segment`, `product_line` and `acquisition_channel` columns of `relation` ('all' for the whole base). -#}
{% macro segment_value(segment_type, relation) -%}
    case {{ segment_type }}
        when 'all' then 'all'
        when 'value_segment' then {{ relation }}.value_segment
        when 'product_line' then {{ relation }}.product_line
        when 'acquisition_channel' then {{ relation }}.acquisition_channel
    end
{%- endmacro %}
