{#- Rule D0: every raw row that cannot be used, from every raw table, with its key and reason. -#}

with

unioned as (
    {{ union_quarantined_rows() }}
),

final as (
    select
        source_table,
        record_key,
        quarantine_reason,
        quarantine_column,
        row_hash
    from unioned
)

select * from final
