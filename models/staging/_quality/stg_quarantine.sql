{#- Rule D0: every raw row that cannot be used, from every raw table, with its key and reason. -#}
with

{% for entry in staged_tables() %}
{{ entry.system }}__{{ entry.table }} as (
    select
        '{{ entry.system }}/{{ entry.table }}' as source_table,
        record_key,
        quarantine_reason,
        quarantine_column,
        row_hash
    from {{ ref('base_' ~ entry.system ~ '__' ~ entry.table) }}
    where quarantine_reason is not null
),

{% endfor %}
unioned as (
    {% for entry in staged_tables() %}
    select * from {{ entry.system }}__{{ entry.table }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
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
