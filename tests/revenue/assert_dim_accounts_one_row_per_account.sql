{#-
    Rule D1: `dim_accounts` has exactly the accounts of `int_accounts_resolved` (every billing customer,
    deleted ones included), and its revenue columns equal `int_account_value_segments`.
    Returns the accounts that are missing, extra or different.
-#}
with

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

dim as (
    select * from {{ ref('dim_accounts') }}
),

segments as (
    select * from {{ ref('int_account_value_segments') }}
),

final as (
    select
        coalesce(accounts.account_id, dim.account_id) as account_id,
        accounts.account_id is null as is_extra,
        dim.account_id is null as is_missing
    from accounts
    full outer join dim
        on accounts.account_id = dim.account_id
    left join segments
        on coalesce(accounts.account_id, dim.account_id) = segments.account_id
    where
        accounts.account_id is null
        or dim.account_id is null
        or dim.lifetime_net_revenue_usd <> segments.lifetime_net_revenue_usd
        or dim.trailing_12m_net_revenue_usd <> segments.trailing_12m_net_revenue_usd
        or dim.value_segment <> segments.value_segment
)

select * from final
