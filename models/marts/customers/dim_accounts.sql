{#-
    One row per account (billing customer, deleted ones kept): CRM attributes (rule D1),
    cohort, lifetime and trailing net revenue and value segment (rule D7), MRR at the end of
    the last reported month (D3) and the reconciled status at as_of (D2). No PII.
-#}
with

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

segments as (
    select * from {{ ref('int_account_value_segments') }}
),

mrr_month_end as (
    select * from {{ ref('int_account_mrr_month_end') }}
),

status_intervals as (
    select * from {{ ref('int_account_status_intervals') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

last_month_mrr as (
    select
        mrr_month_end.account_id,
        mrr_month_end.mrr_usd
    from mrr_month_end
    inner join as_of
        on mrr_month_end.month_start = as_of.last_reported_month
),

current_status as (
    select
        account_id,
        status,
        is_status_disagreement
    from status_intervals
    where is_current
),

final as (
    select
        accounts.account_id,
        accounts.created_at,
        accounts.is_deleted,
        accounts.currency,
        accounts.acquisition_channel,
        accounts.country,
        accounts.lifecycle_stage,
        segments.first_payment_month as cohort_month,
        cast(segments.lifetime_net_revenue_usd as decimal(18, 2)) as lifetime_net_revenue_usd,
        cast(segments.trailing_12m_net_revenue_usd as decimal(18, 2)) as trailing_12m_net_revenue_usd,
        segments.value_segment,
        cast(coalesce(last_month_mrr.mrr_usd, 0) as decimal(18, 2)) as current_mrr_usd,
        current_status.status as current_status,
        coalesce(current_status.is_status_disagreement, false) as is_status_disagreement
    from accounts
    inner join segments
        on accounts.account_id = segments.account_id
    left join last_month_mrr
        on accounts.account_id = last_month_mrr.account_id
    left join current_status
        on accounts.account_id = current_status.account_id
)

select * from final
