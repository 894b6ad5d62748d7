{#-
    Rule D5 slices, shared by the retention marts and fct_expansion_monthly so every mart cuts
    the base the same way.

    segment_types(): the rows of the slice types, one per type, as a select for a CTE.
    segment_value(segment_type, relation): the account's value for that type, read from the
        `value_segment`, `product_line` and `acquisition_channel` columns of `relation`
        ('all' for the whole base).
    segment_label(segment_type, segment_value): the slice's name, unique across types within a
        period: 'all', else '<segment_type>:<segment_value>' (`value_segment:core` and
        `product_line:core` are two slices).
-#}
{% macro segment_types() -%}
    select 'all' as segment_type
    union all
    select 'value_segment' as segment_type
    union all
    select 'product_line' as segment_type
    union all
    select 'acquisition_channel' as segment_type
{%- endmacro %}

{% macro segment_value(segment_type, relation) -%}
    case {{ segment_type }}
        when 'all' then 'all'
        when 'value_segment' then {{ relation }}.value_segment
        when 'product_line' then {{ relation }}.product_line
        when 'acquisition_channel' then {{ relation }}.acquisition_channel
    end
{%- endmacro %}

{% macro segment_label(segment_type, segment_value) -%}
    case
        when {{ segment_type }} = 'all' then 'all'
        else {{ dbt.concat([segment_type, "':'", segment_value]) }}
    end
{%- endmacro %}
