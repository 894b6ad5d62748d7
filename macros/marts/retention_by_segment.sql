{#-
    Rule D5 retention by segment for one period grain, shared by fct_retention_monthly
    (`grain` = 'month') and fct_retention_quarterly ('quarter'), so both marts apply one
    definition. Reads int_mrr_periods, int_mrr_movements_<monthly|quarterly> and
    int_account_period_segments; see the marts' docs for the columns.
-#}
{% macro retention_by_segment(grain) %}
with

periods as (
    select * from {{ ref('int_mrr_periods') }}
    where period_grain = '{{ grain }}'
),

movements as (
    select * from {{ ref('int_mrr_movements_' ~ ('monthly' if grain == 'month' else 'quarterly')) }}
),

segments as (
    select * from {{ ref('int_account_period_segments') }}
    where period_grain = '{{ grain }}'
),

segment_types as (
    {{ account_kpis.segment_types() }}
),

account_periods as (
    select
        movements.account_id,
        movements.{{ grain }}_start as period_start,
        segments.value_segment,
        segments.product_line,
        segments.acquisition_channel,
        movements.start_mrr_usd > 0 as is_starting_account,
        movements.start_mrr_usd,
        movements.end_cc_mrr_usd,
        movements.end_mrr_usd,
        movements.fx_impact_usd,
        movements.new_usd,
        movements.reactivation_usd,
        movements.expansion_usd,
        movements.contraction_usd,
        movements.churn_usd,
        movements.churned_revenue_usd,
        movements.contraction_voluntary_usd + movements.churn_voluntary_usd as churned_revenue_voluntary_usd,
        movements.contraction_involuntary_usd + movements.churn_involuntary_usd as churned_revenue_involuntary_usd
    from movements
    left join segments
        on
            movements.account_id = segments.account_id
            and movements.{{ grain }}_start = segments.period_start
),

sliced as (
    -- each account-period once per segment type
    select
        account_periods.*,
        segment_types.segment_type,
        {{ account_kpis.segment_value('segment_types.segment_type', 'account_periods') }} as segment_value
    from account_periods
    cross join segment_types
),

labelled as (
    select
        sliced.*,
        {{ account_kpis.segment_label('sliced.segment_type', 'sliced.segment_value') }} as segment
    from sliced
),

aggregated as (
    select
        period_start,
        segment_type,
        segment_value,
        segment,
        sum(case when is_starting_account then 1 else 0 end) as starting_accounts,
        sum(case when is_starting_account then start_mrr_usd else 0 end) as starting_mrr_usd,
        sum(case when is_starting_account then expansion_usd else 0 end) as expansion_usd,
        sum(case when is_starting_account then contraction_usd else 0 end) as contraction_usd,
        sum(case when is_starting_account then churn_usd else 0 end) as churn_usd,
        sum(case when is_starting_account then churned_revenue_usd else 0 end) as churned_revenue_usd,
        sum(case when is_starting_account then churned_revenue_voluntary_usd else 0 end)
            as churned_revenue_voluntary_usd,
        sum(case when is_starting_account then churned_revenue_involuntary_usd else 0 end)
            as churned_revenue_involuntary_usd,
        sum(case when is_starting_account then end_cc_mrr_usd else 0 end) as starting_accounts_end_cc_mrr_usd,
        sum(case when churn_usd > 0 then 1 else 0 end) as churned_accounts,
        sum(case when new_usd > 0 then 1 else 0 end) as new_accounts,
        sum(case when reactivation_usd > 0 then 1 else 0 end) as reactivated_accounts,
        sum(case when end_mrr_usd > 0 then 1 else 0 end) as ending_accounts,
        sum(new_usd) as new_usd,
        sum(reactivation_usd) as reactivation_usd,
        sum(fx_impact_usd) as fx_impact_usd,
        sum(end_mrr_usd) as ending_mrr_usd
    from labelled
    group by 1, 2, 3, 4
),

report_keys as (
    -- every reported period has an 'all' row, even with no account in it
    select
        period_start,
        'all' as segment_type,
        'all' as segment_value,
        'all' as segment
    from periods
    union
    select
        period_start,
        segment_type,
        segment_value,
        segment
    from aggregated
),

filled as (
    select
        report_keys.period_start,
        report_keys.segment_type,
        report_keys.segment_value,
        report_keys.segment,
        coalesce(aggregated.starting_accounts, 0) as starting_accounts,
        coalesce(aggregated.starting_mrr_usd, 0) as starting_mrr_usd,
        coalesce(aggregated.expansion_usd, 0) as expansion_usd,
        coalesce(aggregated.contraction_usd, 0) as contraction_usd,
        coalesce(aggregated.churn_usd, 0) as churn_usd,
        coalesce(aggregated.churned_revenue_usd, 0) as churned_revenue_usd,
        coalesce(aggregated.churned_revenue_voluntary_usd, 0) as churned_revenue_voluntary_usd,
        coalesce(aggregated.churned_revenue_involuntary_usd, 0) as churned_revenue_involuntary_usd,
        coalesce(aggregated.starting_accounts_end_cc_mrr_usd, 0) as starting_accounts_end_cc_mrr_usd,
        coalesce(aggregated.churned_accounts, 0) as churned_accounts,
        coalesce(aggregated.new_accounts, 0) as new_accounts,
        coalesce(aggregated.reactivated_accounts, 0) as reactivated_accounts,
        coalesce(aggregated.ending_accounts, 0) as ending_accounts,
        coalesce(aggregated.new_usd, 0) as new_usd,
        coalesce(aggregated.reactivation_usd, 0) as reactivation_usd,
        coalesce(aggregated.fx_impact_usd, 0) as fx_impact_usd,
        coalesce(aggregated.ending_mrr_usd, 0) as ending_mrr_usd
    from report_keys
    left join aggregated
        on
            report_keys.period_start = aggregated.period_start
            and report_keys.segment = aggregated.segment
),

final as (
    select
        cast(period_start as date) as period_start,
        cast(segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(starting_accounts as {{ dbt.type_int() }}) as starting_accounts,
        cast(starting_mrr_usd as decimal(18, 2)) as starting_mrr_usd,
        cast(expansion_usd as decimal(18, 2)) as expansion_usd,
        cast(contraction_usd as decimal(18, 2)) as contraction_usd,
        cast(churn_usd as decimal(18, 2)) as churn_usd,
        cast(churned_revenue_usd as decimal(18, 2)) as churned_revenue_usd,
        cast(churned_revenue_voluntary_usd as decimal(18, 2)) as churned_revenue_voluntary_usd,
        cast(churned_revenue_involuntary_usd as decimal(18, 2)) as churned_revenue_involuntary_usd,
        cast(starting_accounts_end_cc_mrr_usd as decimal(18, 2)) as starting_accounts_end_cc_mrr_usd,
        cast(
            {{ divide_decimals('100 * (starting_mrr_usd + expansion_usd - churned_revenue_usd)', 'starting_mrr_usd') }}
            as decimal(9, 2)
        ) as nrr_pct,
        cast(
            {{ divide_decimals('100 * (starting_mrr_usd - churned_revenue_usd)', 'starting_mrr_usd') }} as decimal(9, 2)
        ) as grr_pct,
        cast({{ divide_decimals('100 * churned_revenue_usd', 'starting_mrr_usd') }} as decimal(9, 2))
            as revenue_churn_pct,
        cast({{ divide_decimals('100 * churned_revenue_voluntary_usd', 'starting_mrr_usd') }} as decimal(9, 2))
            as voluntary_churn_pct,
        cast({{ divide_decimals('100 * churned_revenue_involuntary_usd', 'starting_mrr_usd') }} as decimal(9, 2))
            as involuntary_churn_pct,
        cast(churned_accounts as {{ dbt.type_int() }}) as churned_accounts,
        cast(new_accounts as {{ dbt.type_int() }}) as new_accounts,
        cast(reactivated_accounts as {{ dbt.type_int() }}) as reactivated_accounts,
        cast(ending_accounts as {{ dbt.type_int() }}) as ending_accounts,
        cast(new_usd as decimal(18, 2)) as new_usd,
        cast(reactivation_usd as decimal(18, 2)) as reactivation_usd,
        cast(fx_impact_usd as decimal(18, 2)) as fx_impact_usd,
        cast(ending_mrr_usd as decimal(18, 2)) as ending_mrr_usd
    from filled
)

select * from final
{% endmacro %}
