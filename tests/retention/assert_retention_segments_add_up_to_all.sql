{#-
    Rule D5 slices: every account-period falls in exactly one segment of each segment type, so
    for each period and segment type the segments add up to the `all` row: starting MRR,
    churned revenue − expansion and ending MRR in the monthly and quarterly retention marts;
    recurring, one-time and total expansion in the monthly expansion mart. Returns the
    (model, period, segment type) combinations that do not.
-#}
with

retention as (
    select
        'fct_retention_monthly' as model_name,
        period_start,
        segment_type,
        starting_mrr_usd as measure_a_usd,
        churned_revenue_usd - expansion_usd as measure_b_usd,
        ending_mrr_usd as measure_c_usd
    from {{ ref('fct_retention_monthly') }}
    union all
    select
        'fct_retention_quarterly' as model_name,
        period_start,
        segment_type,
        starting_mrr_usd as measure_a_usd,
        churned_revenue_usd - expansion_usd as measure_b_usd,
        ending_mrr_usd as measure_c_usd
    from {{ ref('fct_retention_quarterly') }}
    union all
    select
        'fct_expansion_monthly' as model_name,
        month_start as period_start,
        segment_type,
        recurring_expansion_usd as measure_a_usd,
        one_time_expansion_usd as measure_b_usd,
        total_expansion_usd as measure_c_usd
    from {{ ref('fct_expansion_monthly') }}
),

by_type as (
    select
        model_name,
        period_start,
        segment_type,
        sum(measure_a_usd) as measure_a_usd,
        sum(measure_b_usd) as measure_b_usd,
        sum(measure_c_usd) as measure_c_usd
    from retention
    group by 1, 2, 3
),

whole_base as (
    select * from by_type
    where segment_type = 'all'
),

final as (
    select
        by_type.model_name,
        by_type.period_start,
        by_type.segment_type,
        by_type.measure_a_usd,
        whole_base.measure_a_usd as all_measure_a_usd,
        by_type.measure_b_usd,
        whole_base.measure_b_usd as all_measure_b_usd,
        by_type.measure_c_usd,
        whole_base.measure_c_usd as all_measure_c_usd
    from by_type
    left join whole_base
        on
            by_type.model_name = whole_base.model_name
            and by_type.period_start = whole_base.period_start
    where
        by_type.segment_type <> 'all'
        and (
            whole_base.model_name is null
            or by_type.measure_a_usd <> whole_base.measure_a_usd
            or by_type.measure_b_usd <> whole_base.measure_b_usd
            or by_type.measure_c_usd <> whole_base.measure_c_usd
        )
)

select * from final
