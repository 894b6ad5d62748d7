{#-
    Follow processor B `original_transaction_id` links up to `max_hops` steps (rule D4/D7:
    a retry or reversal without its own order reference belongs to whatever its chain leads
    to). Portable: a fixed number of self-joins instead of a recursive CTE, which Spark lacks.

    Emits the CTEs `<prefix>_hop_0` … `<prefix>_hop_<max_hops>` and `<prefix>_resolved`
    (transaction_id, resolved_<column> for each column in `columns`: the first non-null value
    along the chain, starting with the transaction itself).
-#}
{% macro transaction_chain_ctes(source_cte, prefix, columns, max_hops=5) %}
{{ prefix }}_hop_0 as (
    select
        {{ source_cte }}.transaction_id,
        {{ source_cte }}.original_transaction_id as next_transaction_id,
        {%- for col in columns %}
        {{ source_cte }}.{{ col }} as resolved_{{ col }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ source_cte }}
),
{% for hop in range(1, max_hops + 1) %}
{{ prefix }}_hop_{{ hop }} as (
    select
        previous_hop.transaction_id,
        parent.original_transaction_id as next_transaction_id,
        {%- for col in columns %}
        coalesce(previous_hop.resolved_{{ col }}, parent.{{ col }}) as resolved_{{ col }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ prefix }}_hop_{{ hop - 1 }} as previous_hop
    left join {{ source_cte }} as parent
        on previous_hop.next_transaction_id = parent.transaction_id
),
{% endfor %}
{{ prefix }}_resolved as (
    select
        transaction_id,
        {%- for col in columns %}
        resolved_{{ col }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ prefix }}_hop_{{ max_hops }}
)
{% endmacro %}
