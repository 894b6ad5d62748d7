{#-
    Rules D0 and D1: the identity audit accounts for every staged record exactly once. For each
    audited source, the records over its match rules add up to the staging model's row count,
    `source_records` equals it, and the shares add up to 1. Returns the sources that break it.
-#}
with

audit as (
    select
        source,
        sum(records) as audited_records,
        min(source_records) as min_source_records,
        max(source_records) as max_source_records,
        sum(share_of_source) as total_share
    from {{ ref('int_identity_audit') }}
    group by 1
),

staged as (
    select
        'crm_contacts' as source,
        count(*) as staged_rows
    from {{ ref('stg_crm__contacts') }}
    union all
    select
        'shop_orders' as source,
        count(*) as staged_rows
    from {{ ref('stg_shop__orders') }}
    union all
    select
        'support_tickets' as source,
        count(*) as staged_rows
    from {{ ref('stg_support__tickets') }}
    union all
    select
        'messaging_events' as source,
        count(*) as staged_rows
    from {{ ref('stg_messaging__events') }}
    union all
    select
        'processor_a_charges' as source,
        count(*) as staged_rows
    from {{ ref('stg_processor_a__charges') }}
    union all
    select
        'processor_b_transactions' as source,
        count(*) as staged_rows
    from {{ ref('stg_processor_b__transactions') }}
),

final as (
    select
        staged.source,
        staged.staged_rows,
        audit.audited_records,
        audit.min_source_records,
        audit.max_source_records,
        audit.total_share
    from staged
    left join audit
        on staged.source = audit.source
    where
        coalesce(audit.audited_records, 0) <> staged.staged_rows
        or audit.min_source_records <> staged.staged_rows
        or audit.max_source_records <> staged.staged_rows
        or abs(audit.total_share - 1) > 0.0001
)

select * from final
