{#-
    Rule D10, gateway view: per gateway (and 'all') and reported month of the attempt,
    attempts, first-attempt approval %, the decline mix by class and the top decline code; and
    the recovery % (rule D4) of the rebills billed in that month whose first attempt was on the
    gateway. Grain: one row per reported month and gateway. Primary key: (month_start, gateway).
-#}
with

months as (
    select * from {{ ref('int_reporting_months') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

renewals as (
    select * from {{ ref('int_renewals_classified') }}
    where first_attempt_gateway is not null
),

declines_by_code as (
    select * from {{ ref('int_payment_declines_by_code') }}
),

gateways as (
    select distinct gateway from attempts
    union
    select distinct first_attempt_gateway as gateway from renewals
),

grid as (
    -- every reported month, every gateway seen, and 'all'
    select
        months.month_start,
        gateways.gateway
    from months
    cross join gateways
    union all
    select
        months.month_start,
        'all' as gateway
    from months
),

attempts_both_ways as (
    select
        attempted_month as month_start,
        gateway,
        is_approved,
        attempt_number,
        decline_class
    from attempts
    union all
    select
        attempted_month as month_start,
        'all' as gateway,
        is_approved,
        attempt_number,
        decline_class
    from attempts
),

attempt_counts as (
    select
        month_start,
        gateway,
        count(*) as attempts,
        sum(case when is_approved then 1 else 0 end) as approved_attempts,
        sum(case when not is_approved then 1 else 0 end) as declined_attempts,
        sum(case when attempt_number = 1 then 1 else 0 end) as first_attempts,
        sum(case when attempt_number = 1 and is_approved then 1 else 0 end) as first_attempts_approved,
        sum(case when not is_approved and decline_class = 'soft' then 1 else 0 end) as soft_declines,
        sum(case when not is_approved and decline_class = 'hard' then 1 else 0 end) as hard_declines,
        sum(case when not is_approved and coalesce(decline_class, 'unknown') = 'unknown' then 1 else 0 end)
            as unknown_declines
    from attempts_both_ways
    group by 1, 2
),

renewals_both_ways as (
    select
        billed_month as month_start,
        first_attempt_gateway as gateway,
        outcome
    from renewals
    union all
    select
        billed_month as month_start,
        'all' as gateway,
        outcome
    from renewals
),

renewal_counts as (
    select
        month_start,
        gateway,
        count(*) as rebills_attempted,
        sum(case when outcome = 'clean' then 1 else 0 end) as rebills_clean,
        sum(case when outcome = 'recovered' then 1 else 0 end) as rebills_recovered,
        sum(case when outcome = 'failed' then 1 else 0 end) as rebills_failed,
        sum(case when outcome = 'late_recovery' then 1 else 0 end) as rebills_late_recovery,
        sum(case when outcome = 'pending' then 1 else 0 end) as rebills_pending
    from renewals_both_ways
    group by 1, 2
),

top_decline_codes as (
    select
        month_start,
        gateway,
        decline_code as top_decline_code,
        declines as top_decline_code_declines
    from declines_by_code
    where decline_code_rank = 1
),

joined as (
    select
        grid.month_start,
        grid.gateway,
        coalesce(attempt_counts.attempts, 0) as attempts,
        coalesce(attempt_counts.approved_attempts, 0) as approved_attempts,
        coalesce(attempt_counts.declined_attempts, 0) as declined_attempts,
        coalesce(attempt_counts.first_attempts, 0) as first_attempts,
        coalesce(attempt_counts.first_attempts_approved, 0) as first_attempts_approved,
        coalesce(attempt_counts.soft_declines, 0) as soft_declines,
        coalesce(attempt_counts.hard_declines, 0) as hard_declines,
        coalesce(attempt_counts.unknown_declines, 0) as unknown_declines,
        top_decline_codes.top_decline_code,
        top_decline_codes.top_decline_code_declines,
        coalesce(renewal_counts.rebills_attempted, 0) as rebills_attempted,
        coalesce(renewal_counts.rebills_clean, 0) as rebills_clean,
        coalesce(renewal_counts.rebills_recovered, 0) as rebills_recovered,
        coalesce(renewal_counts.rebills_failed, 0) as rebills_failed,
        coalesce(renewal_counts.rebills_late_recovery, 0) as rebills_late_recovery,
        coalesce(renewal_counts.rebills_pending, 0) as rebills_pending
    from grid
    left join attempt_counts
        on
            grid.month_start = attempt_counts.month_start
            and grid.gateway = attempt_counts.gateway
    left join renewal_counts
        on
            grid.month_start = renewal_counts.month_start
            and grid.gateway = renewal_counts.gateway
    left join top_decline_codes
        on
            grid.month_start = top_decline_codes.month_start
            and grid.gateway = top_decline_codes.gateway
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(gateway as {{ dbt.type_string() }}) as gateway,
        cast(attempts as {{ dbt.type_int() }}) as attempts,
        cast(approved_attempts as {{ dbt.type_int() }}) as approved_attempts,
        cast(declined_attempts as {{ dbt.type_int() }}) as declined_attempts,
        cast(first_attempts as {{ dbt.type_int() }}) as first_attempts,
        cast(first_attempts_approved as {{ dbt.type_int() }}) as first_attempts_approved,
        cast({{ divide_decimals('100 * first_attempts_approved', 'first_attempts', 2, 0) }} as decimal(9, 2))
            as first_attempt_approval_pct,
        cast(soft_declines as {{ dbt.type_int() }}) as soft_declines,
        cast(hard_declines as {{ dbt.type_int() }}) as hard_declines,
        cast(unknown_declines as {{ dbt.type_int() }}) as unknown_declines,
        cast({{ divide_decimals('100 * soft_declines', 'declined_attempts', 2, 0) }} as decimal(9, 2))
            as soft_decline_share_pct,
        cast({{ divide_decimals('100 * hard_declines', 'declined_attempts', 2, 0) }} as decimal(9, 2))
            as hard_decline_share_pct,
        cast({{ divide_decimals('100 * unknown_declines', 'declined_attempts', 2, 0) }} as decimal(9, 2))
            as unknown_decline_share_pct,
        cast(top_decline_code as {{ dbt.type_string() }}) as top_decline_code,
        cast(top_decline_code_declines as {{ dbt.type_int() }}) as top_decline_code_declines,
        cast(rebills_attempted as {{ dbt.type_int() }}) as rebills_attempted,
        cast(rebills_clean as {{ dbt.type_int() }}) as rebills_clean,
        cast(rebills_recovered as {{ dbt.type_int() }}) as rebills_recovered,
        cast(rebills_failed as {{ dbt.type_int() }}) as rebills_failed,
        cast(rebills_late_recovery as {{ dbt.type_int() }}) as rebills_late_recovery,
        cast(rebills_pending as {{ dbt.type_int() }}) as rebills_pending,
        cast(
            {{ divide_decimals('100 * rebills_recovered', 'rebills_recovered + rebills_failed + rebills_late_recovery', 2, 0) }}
            as decimal(9, 2)
        ) as recovery_pct
    from joined
)

select * from final
