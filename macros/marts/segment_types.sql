{#- Rule D5 slices: the slice types (`all`, `value_segment`, `product_line`, `acquisition_channel`), one row each, as a select for a CTE. Shared by the retention marts and fct_expansion_monthly. -#}
{% macro segment_types() -%}
    select 'all' as segment_type
    union all
    select 'value_segment' as segment_type
    union all
    select 'product_line' as segment_type
    union all
    select 'acquisition_channel' as segment_type
{%- endmacro %}
