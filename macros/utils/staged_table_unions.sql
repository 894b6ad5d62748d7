{#-
    `union all` of one select per raw table of staged_tables() (rule D0 models). Kept in macros
    so the models stay one readable CTE each.
-#}

{#- Every quarantined raw row: source_table, record_key, quarantine_reason, quarantine_column, row_hash. -#}
{% macro union_quarantined_rows() %}
    {%- for entry in account_kpis.staged_tables() %}
    select
        '{{ entry.system }}/{{ entry.table }}' as source_table,
        record_key,
        quarantine_reason,
        quarantine_column,
        row_hash
    from {{ ref('base_' ~ entry.system ~ '__' ~ entry.table) }}
    where quarantine_reason is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- Row accounting per raw table: raw, quarantined (from `quarantine_relation`), de-duplicated, staged. -#}
{% macro union_row_counts(quarantine_relation) %}
    {%- for entry in account_kpis.staged_tables() %}
    {%- set label = entry.system ~ '/' ~ entry.table %}
    select
        '{{ label }}' as source_table,
        (select count(*) from {{ source('raw_' ~ entry.system, entry.table) }}) as raw_rows,
        (select count(*) from {{ quarantine_relation }} where source_table = '{{ label }}') as quarantined_rows,
        (
            select count(*) - count(distinct {{ entry.key }})
            from {{ ref('base_' ~ entry.system ~ '__' ~ entry.table) }}
            where quarantine_reason is null
        ) as duplicate_rows_removed,
        (select count(*) from {{ ref('stg_' ~ entry.system ~ '__' ~ entry.table) }}) as staged_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
