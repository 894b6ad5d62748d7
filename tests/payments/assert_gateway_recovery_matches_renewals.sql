{#-
    Rules D4 / D10: the recovery counts and recovery % of the gateway view equal the rebills of
    `fct_renewals` grouped by billed month and first-attempt gateway (and over both gateways
    for the `all` row), for every reported month. Fails with every (month, gateway) where a
    count differs, the % is not recovered ÷ (recovered + failed + late_recovery) × 100 of those
    counts (NULL when that is 0), or a renewal group has no row in the gateway view.
-#}
with

renewals as (
    select * from {{ ref('fct_renewals') }}
    where first_attempt_gateway is not null
),

months as (
    select * from {{ ref('int_reporting_months') }}
),

gateway_view as (
    select * from {{ ref('fct_payment_gateway_monthly') }}
),

renewals_both_ways as (
    select
        billed_month,
        first_attempt_gateway as gateway,
        outcome
    from renewals
    union all
    select
        billed_month,
        'all' as gateway,
        outcome
    from renewals
),

expected as (
    select
        renewals_both_ways.billed_month as month_start,
        renewals_both_ways.gateway,
        sum(case when renewals_both_ways.outcome = 'recovered' then 1 else 0 end) as recovered,
        sum(case when renewals_both_ways.outcome = 'failed' then 1 else 0 end) as failed,
        sum(case when renewals_both_ways.outcome = 'late_recovery' then 1 else 0 end) as late_recovery
    from renewals_both_ways
    inner join months
        on renewals_both_ways.billed_month = months.month_start
    group by 1, 2
),

compared as (
    select
        coalesce(gateway_view.month_start, expected.month_start) as month_start,
        coalesce(gateway_view.gateway, expected.gateway) as gateway,
        coalesce(expected.recovered, 0) as expected_recovered,
        coalesce(expected.failed, 0) as expected_failed,
        coalesce(expected.late_recovery, 0) as expected_late_recovery,
        gateway_view.rebills_recovered,
        gateway_view.rebills_failed,
        gateway_view.rebills_late_recovery,
        gateway_view.recovery_pct,
        round(
            100.0 * coalesce(expected.recovered, 0)
            / nullif(
                coalesce(expected.recovered, 0) + coalesce(expected.failed, 0)
                + coalesce(expected.late_recovery, 0), 0
            ),
            2
        ) as expected_recovery_pct
    from gateway_view
    full outer join expected
        on
            gateway_view.month_start = expected.month_start
            and gateway_view.gateway = expected.gateway
)

select *
from compared
where
    not coalesce(rebills_recovered = expected_recovered, false)
    or not coalesce(rebills_failed = expected_failed, false)
    or not coalesce(rebills_late_recovery = expected_late_recovery, false)
    or (recovery_pct is null) <> (expected_recovery_pct is null)
    or abs(recovery_pct - expected_recovery_pct) > 0.005
