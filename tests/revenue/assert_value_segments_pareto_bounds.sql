{#-
    Rule D7, value segments (Pareto identity). With S = the total positive trailing 12-month net
    revenue, recomputed here from the segment sums (not from the model's running columns):
    - `top` accounts rank before `core`, and `core` before the positive `tail` accounts;
    - the top accounts without the last of them hold < segment_top_share × S (every top account
      had a share before it below the line), and all top accounts hold >= segment_top_share × S
      unless no positive account is left outside `top` (the last top account crosses the line);
    - the same for top + core against segment_core_share;
    - no account with zero or negative trailing revenue is `top` or `core`.
    Returns one row per broken check.
-#}
with

segments as (
    select * from {{ ref('int_account_value_segments') }}
),

per_segment as (
    select
        value_segment,
        count(*) as accounts,
        sum(trailing_12m_net_revenue_usd) as revenue_usd,
        min(trailing_12m_net_revenue_usd) as smallest_usd,
        min(value_rank) as first_rank,
        max(value_rank) as last_rank
    from segments
    where trailing_12m_net_revenue_usd > 0
    group by 1
),

totals as (
    select
        coalesce(sum(revenue_usd), 0) as total_usd,
        coalesce(sum(case when value_segment = 'top' then revenue_usd end), 0) as top_usd,
        coalesce(sum(case when value_segment in ('top', 'core') then revenue_usd end), 0) as top_core_usd,
        min(case when value_segment = 'top' then smallest_usd end) as last_top_usd,
        min(case when value_segment = 'core' then smallest_usd end) as last_core_usd,
        max(case when value_segment = 'top' then last_rank end) as top_last_rank,
        min(case when value_segment = 'core' then first_rank end) as core_first_rank,
        max(case when value_segment = 'core' then last_rank end) as core_last_rank,
        min(case when value_segment = 'tail' then first_rank end) as tail_first_rank,
        coalesce(sum(case when value_segment <> 'top' then accounts end), 0) as positive_non_top,
        coalesce(sum(case when value_segment = 'tail' then accounts end), 0) as positive_tail
    from per_segment
),

checks as (
    select 'segments out of rank order' as failed_check
    from totals
    where
        totals.top_last_rank > coalesce(totals.core_first_rank, totals.tail_first_rank)
        or totals.core_last_rank > totals.tail_first_rank

    union all

    select 'top without its last account reaches the top share'
    from totals
    where totals.top_usd - totals.last_top_usd >= {{ var('segment_top_share') }} * totals.total_usd

    union all

    select 'top stops below the top share'
    from totals
    where
        totals.positive_non_top > 0
        and totals.top_usd < {{ var('segment_top_share') }} * totals.total_usd

    union all

    select 'top and core without the last core account reach the core share'
    from totals
    where totals.top_core_usd - totals.last_core_usd >= {{ var('segment_core_share') }} * totals.total_usd

    union all

    select 'top and core stop below the core share'
    from totals
    where
        totals.positive_tail > 0
        and totals.top_core_usd < {{ var('segment_core_share') }} * totals.total_usd

    union all

    select 'non-positive trailing revenue outside tail'
    from segments
    where segments.trailing_12m_net_revenue_usd <= 0 and segments.value_segment <> 'tail'
)

select * from checks
