{#-
    Rule D10 gateway view, decline detail: declined attempts per gateway, attempt month and
    decline code (with its soft / hard / unknown class from the `decline_codes` seed), ranked
    within the gateway and month by count (ties by code). The gateway mart shows the mix by
    class; this model keeps the codes behind it.
-#}
with

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
    where not is_approved
),

counted as (
    select
        gateway,
        attempted_month as month_start,
        decline_code,
        decline_class,
        count(*) as declines
    from attempts
    group by 1, 2, 3, 4
),

final as (
    select
        gateway,
        month_start,
        decline_code,
        decline_class,
        declines,
        row_number() over (
            partition by gateway, month_start
            order by declines desc, decline_code asc
        ) as decline_code_rank
    from counted
)

select * from final
