{#-
    Rule D0 count check, one row per raw table: raw rows in, rows quarantined, duplicate rows
    removed and rows staged. Raw rows are counted from the source itself and staged rows from
    the staging model, so a model that drops or multiplies rows breaks
    `raw_rows = staged_rows + duplicate_rows_removed + quarantined_rows` (tested).
-#}
with

quarantine as (
    select * from {{ ref('stg_quarantine') }}
),

counts as (
    {{ union_row_counts('quarantine') }}
),

final as (
    select
        source_table,
        raw_rows,
        quarantined_rows,
        duplicate_rows_removed,
        staged_rows
    from counts
)

select * from final
