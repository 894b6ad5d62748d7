{#-
    Rule D0 count check, one row per raw table: raw rows in, rows quarantined, duplicate rows
    removed and rows staged. Raw rows are counted from the source itself and staged rows from
    the staging model, so a model that drops or multiplies rows breaks
    `raw_rows = staged_rows + duplicate_rows_removed + quarantined_rows` (tested).
-#}
with

{% for entry in staged_tables() %}
{{ entry.system }}__{{ entry.table }} as (
    select
        '{{ entry.system }}/{{ entry.table }}' as source_table,
        (select count(*) from {{ source('raw_' ~ entry.system, entry.table) }}) as raw_rows,
        (
            select count(*) from {{ ref('stg_quarantine') }}
            where source_table = '{{ entry.system }}/{{ entry.table }}'
        ) as quarantined_rows,
        (
            select count(*) - count(distinct {{ entry.key }})
            from {{ ref('base_' ~ entry.system ~ '__' ~ entry.table) }}
            where quarantine_reason is null
        ) as duplicate_rows_removed,
        (select count(*) from {{ ref('stg_' ~ entry.system ~ '__' ~ entry.table) }}) as staged_rows
),

{% endfor %}
final as (
    {% for entry in staged_tables() %}
    select * from {{ entry.system }}__{{ entry.table }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
