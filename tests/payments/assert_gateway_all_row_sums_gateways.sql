{#-
    Rule D10 gateway view: the `all` row of each month is the sum of the per-gateway rows for
    every count (attempts, first attempts, declines by class, rebills by outcome). Fails with
    every month where a count of `all` differs from the sum over the gateways.
-#}
with

gateway_view as (
    select * from {{ ref('fct_payment_gateway_monthly') }}
),

summed as (
    select
        month_start,
        sum(attempts) as attempts,
        sum(approved_attempts) as approved_attempts,
        sum(first_attempts) as first_attempts,
        sum(first_attempts_approved) as first_attempts_approved,
        sum(soft_declines) as soft_declines,
        sum(hard_declines) as hard_declines,
        sum(unknown_declines) as unknown_declines,
        sum(rebills_attempted) as rebills_attempted,
        sum(rebills_recovered) as rebills_recovered,
        sum(rebills_failed) as rebills_failed,
        sum(rebills_late_recovery) as rebills_late_recovery
    from gateway_view
    where gateway <> 'all'
    group by 1
),

all_rows as (
    select * from gateway_view
    where gateway = 'all'
)

select
    all_rows.month_start,
    all_rows.attempts,
    summed.attempts as summed_attempts
from all_rows
left join summed
    on all_rows.month_start = summed.month_start
where
    not coalesce(all_rows.attempts = coalesce(summed.attempts, 0), false)
    or not coalesce(all_rows.approved_attempts = coalesce(summed.approved_attempts, 0), false)
    or not coalesce(all_rows.first_attempts = coalesce(summed.first_attempts, 0), false)
    or not coalesce(all_rows.first_attempts_approved = coalesce(summed.first_attempts_approved, 0), false)
    or not coalesce(all_rows.soft_declines = coalesce(summed.soft_declines, 0), false)
    or not coalesce(all_rows.hard_declines = coalesce(summed.hard_declines, 0), false)
    or not coalesce(all_rows.unknown_declines = coalesce(summed.unknown_declines, 0), false)
    or not coalesce(all_rows.rebills_attempted = coalesce(summed.rebills_attempted, 0), false)
    or not coalesce(all_rows.rebills_recovered = coalesce(summed.rebills_recovered, 0), false)
    or not coalesce(all_rows.rebills_failed = coalesce(summed.rebills_failed, 0), false)
    or not coalesce(all_rows.rebills_late_recovery = coalesce(summed.rebills_late_recovery, 0), false)
