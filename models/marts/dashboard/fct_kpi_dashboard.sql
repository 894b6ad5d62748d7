{#-
    Rule D11, the KPI dashboard: one row per KPI computed here, with the definition, source,
    frequency, target, owner, unit and direction from the business-edited seed `kpi_targets`,
    the current and prior period's value read from the public marts, the change and a status.
    The current period is the last reported month (int_as_of) and the prior one the month
    before; `at_risk_accounts` is a snapshot KPI: current = the as_of snapshot
    (fct_account_health), prior = the end of the last reported month (fct_account_health_history).
    A KPI with no current value (or no target) is 'needs_intervention', `status_reason` says why.
    Grain: one row per KPI. Primary key: kpi_name.
-#}
{#- LTV_12 = the cohort LTV after 12 months, i.e. at month offset 11 (offset 0 = cohort month). -#}
{%- set ltv_month_offset = 11 -%}

with

kpi_targets as (
    select * from {{ ref('kpi_targets') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

retention as (
    select * from {{ ref('fct_retention_monthly') }}
    where segment_type = 'all'
),

renewals as (
    select * from {{ ref('fct_renewals') }}
),

gateway_view as (
    select * from {{ ref('fct_payment_gateway_monthly') }}
    where gateway = 'all'
),

event_kpis as (
    select * from {{ ref('fct_event_kpis_monthly') }}
),

expansion as (
    select * from {{ ref('fct_expansion_monthly') }}
    where segment_type = 'all'
),

cohort_ltv as (
    select * from {{ ref('fct_cohort_ltv') }}
    where month_offset = {{ ltv_month_offset }}
),

account_health as (
    select * from {{ ref('fct_account_health') }}
),

account_health_history as (
    select * from {{ ref('fct_account_health_history') }}
),

periods as (
    select
        as_of.last_reported_month as current_period,
        cast({{ dbt.dateadd('month', -1, 'as_of.last_reported_month') }} as date) as prior_period,
        cast(as_of.as_of_at as date) as as_of_date
    from as_of
),

renewal_rates as (
    select
        billed_month as period_start,
        {{ divide_decimals(
            "100 * sum(case when outcome = 'recovered' then 1 else 0 end)",
            "sum(case when outcome in ('recovered', 'failed', 'late_recovery') then 1 else 0 end)",
            2, 0
        ) }} as recovery_rate_pct
    from renewals
    group by 1
),

reported_periods as (
    select current_period as period_start from periods
    union all
    select prior_period as period_start from periods
),

ltv_by_period as (
    -- over every cohort that has reached offset 11 by the period, weighted by cohort size
    select
        reported_periods.period_start,
        {{ divide_decimals('sum(cohort_ltv.cumulative_net_revenue_usd)', 'sum(cohort_ltv.cohort_size)') }}
            as ltv_12_usd
    from reported_periods
    left join cohort_ltv
        on reported_periods.period_start >= cohort_ltv.month_start
    group by 1
),

monthly_values as (
    select
        'nrr_pct' as kpi_name,
        period_start,
        nrr_pct as kpi_value
    from retention
    union all
    select
        'grr_pct' as kpi_name,
        period_start,
        grr_pct as kpi_value
    from retention
    union all
    select
        'revenue_churn_pct' as kpi_name,
        period_start,
        revenue_churn_pct as kpi_value
    from retention
    union all
    select
        'voluntary_churn_pct' as kpi_name,
        period_start,
        voluntary_churn_pct as kpi_value
    from retention
    union all
    select
        'involuntary_churn_pct' as kpi_name,
        period_start,
        involuntary_churn_pct as kpi_value
    from retention
    union all
    select
        'recovery_rate_pct' as kpi_name,
        period_start,
        recovery_rate_pct as kpi_value
    from renewal_rates
    union all
    select
        'first_attempt_approval_pct' as kpi_name,
        month_start as period_start,
        first_attempt_approval_pct as kpi_value
    from gateway_view
    union all
    select
        'payment_event_engagement_pct' as kpi_name,
        month_start as period_start,
        payment_event_engagement_pct as kpi_value
    from event_kpis
    union all
    select
        'automation_coverage_pct' as kpi_name,
        month_start as period_start,
        automation_coverage_pct as kpi_value
    from event_kpis
    union all
    select
        'upsell_conversion_pct' as kpi_name,
        month_start as period_start,
        upsell_conversion_pct as kpi_value
    from event_kpis
    union all
    select
        'expansion_usd' as kpi_name,
        month_start as period_start,
        total_expansion_usd as kpi_value
    from expansion
    union all
    select
        'ltv_12_usd' as kpi_name,
        period_start,
        ltv_12_usd as kpi_value
    from ltv_by_period
),

monthly_kpis as (
    -- the KPIs computed from monthly marts: one row each, whether or not the marts have data
    select 'nrr_pct' as kpi_name
    union all
    select 'grr_pct' as kpi_name
    union all
    select 'revenue_churn_pct' as kpi_name
    union all
    select 'voluntary_churn_pct' as kpi_name
    union all
    select 'involuntary_churn_pct' as kpi_name
    union all
    select 'recovery_rate_pct' as kpi_name
    union all
    select 'first_attempt_approval_pct' as kpi_name
    union all
    select 'payment_event_engagement_pct' as kpi_name
    union all
    select 'automation_coverage_pct' as kpi_name
    union all
    select 'upsell_conversion_pct' as kpi_name
    union all
    select 'expansion_usd' as kpi_name
    union all
    select 'ltv_12_usd' as kpi_name
),

monthly_kpi_values as (
    select
        monthly_kpis.kpi_name,
        periods.current_period,
        current_values.kpi_value as current_value,
        periods.prior_period,
        prior_values.kpi_value as prior_value
    from monthly_kpis
    cross join periods
    left join monthly_values as current_values
        on
            monthly_kpis.kpi_name = current_values.kpi_name
            and periods.current_period = current_values.period_start
    left join monthly_values as prior_values
        on
            monthly_kpis.kpi_name = prior_values.kpi_name
            and periods.prior_period = prior_values.period_start
),

at_risk_now as (
    select
        count(*) as scored_accounts,
        sum(case when health_tier = 'at_risk' then 1 else 0 end) as at_risk_accounts
    from account_health
),

at_risk_month_end as (
    select
        count(*) as scored_accounts,
        sum(case when account_health_history.health_tier = 'at_risk' then 1 else 0 end) as at_risk_accounts
    from account_health_history
    inner join periods
        on account_health_history.month_start = periods.current_period
),

snapshot_kpi_values as (
    select
        'at_risk_accounts' as kpi_name,
        periods.as_of_date as current_period,
        case when at_risk_now.scored_accounts > 0 then at_risk_now.at_risk_accounts end as current_value,
        periods.current_period as prior_period,
        case when at_risk_month_end.scored_accounts > 0 then at_risk_month_end.at_risk_accounts end as prior_value
    from periods
    cross join at_risk_now
    cross join at_risk_month_end
),

kpi_values as (
    select * from monthly_kpi_values
    union all
    select * from snapshot_kpi_values
),

assessed as (
    select
        kpi_values.kpi_name,
        kpi_targets.formula,
        kpi_targets.data_source,
        kpi_targets.reporting_frequency,
        kpi_targets.target,
        kpi_targets.owner,
        kpi_targets.unit,
        kpi_targets.direction,
        kpi_values.current_period,
        kpi_values.current_value,
        kpi_values.prior_period,
        kpi_values.prior_value,
        kpi_values.current_value - kpi_values.prior_value as change,
        case
            when kpi_values.current_value is null then 'no_current_value'
            when kpi_targets.target is null then 'no_target'
            when kpi_targets.direction = 'higher_is_better' and kpi_values.current_value >= kpi_targets.target
                then 'meets_target'
            when kpi_targets.direction = 'lower_is_better' and kpi_values.current_value <= kpi_targets.target
                then 'meets_target'
            else 'misses_target'
        end as status_reason
    from kpi_values
    left join kpi_targets
        on kpi_values.kpi_name = kpi_targets.kpi_name
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(formula as {{ dbt.type_string() }}) as formula,
        cast(data_source as {{ dbt.type_string() }}) as data_source,
        cast(reporting_frequency as {{ dbt.type_string() }}) as reporting_frequency,
        cast(target as decimal(18, 2)) as target,
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(current_period as date) as current_period,
        cast(current_value as decimal(18, 2)) as current_value,
        cast(prior_period as date) as prior_period,
        cast(prior_value as decimal(18, 2)) as prior_value,
        cast(change as decimal(18, 2)) as change,
        cast(
            case when status_reason = 'meets_target' then 'on_target' else 'needs_intervention' end
            as {{ dbt.type_string() }}
        ) as status,
        cast(status_reason as {{ dbt.type_string() }}) as status_reason
    from assessed
)

select * from final
