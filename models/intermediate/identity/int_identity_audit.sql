{#-
    Rules D0 and D1: how every staged record that should belong to an account attached to one,
    per source and match rule, with up to five sample keys of the unmatched records.
    Payment records are classified here straight from staging (rule D7's order):
      processor A charges: `gateway_customer` (its `customer` is a known customer), else
      `invoice` (a known invoice of a known customer), else `shop_order` (`order_ref` is an
      order attributed to an account), else `unmatched`;
      processor B transactions (sales, refunds, chargebacks): `gateway_customer` (vault id),
      `invoice`, `shop_order` (`#name`), else `transaction_chain` when its
      `original_transaction_id` chain reaches, within five hops, a transaction attached by one
      of those three rules, else `unmatched`.
    Grain: source x match_rule. Counts per source add up to the source's staged rows (tested).
-#}
with

contacts as (
    select * from {{ ref('int_contacts_matched') }}
),

orders as (
    select * from {{ ref('int_orders_attributed') }}
),

tickets as (
    select * from {{ ref('int_tickets_attributed') }}
),

messages as (
    select * from {{ ref('int_messages_attributed') }}
),

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

charges as (
    select * from {{ ref('stg_processor_a__charges') }}
),

transactions as (
    select * from {{ ref('stg_processor_b__transactions') }}
),

invoice_accounts as (
    select
        invoices.invoice_id,
        customers.customer_id as account_id
    from invoices
    inner join customers
        on invoices.customer_id = customers.customer_id
),

order_names_ranked as (
    select
        order_name,
        order_id,
        account_id,
        row_number() over (
            partition by order_name
            order by created_at desc, order_id desc
        ) as order_rank
    from orders
    where account_id is not null
),

order_names as (
    select * from order_names_ranked
    where order_rank = 1
),

charge_rules as (
    select
        charges.charge_id as record_key,
        case
            when customers.customer_id is not null then 'gateway_customer'
            when invoice_accounts.invoice_id is not null then 'invoice'
            when orders.account_id is not null then 'shop_order'
            else 'unmatched'
        end as match_rule
    from charges
    left join customers
        on charges.customer_id = customers.customer_id
    left join invoice_accounts
        on charges.invoice_id = invoice_accounts.invoice_id
    left join orders
        on charges.order_ref = orders.order_id
),

transaction_direct as (
    select
        transactions.transaction_id,
        transactions.original_transaction_id,
        case
            when customers.customer_id is not null then 'gateway_customer'
            when invoice_accounts.invoice_id is not null then 'invoice'
            when order_names.order_name is not null then 'shop_order'
        end as direct_rule
    from transactions
    left join customers
        on transactions.customer_id = customers.customer_id
    left join invoice_accounts
        on transactions.invoice_id = invoice_accounts.invoice_id
    left join order_names
        on transactions.shop_order_name = order_names.order_name
),

-- the original_transaction_id chain, followed up to 5 hops by fixed self-joins (no recursion)
transaction_chains as (
    select
        hop_0.transaction_id,
        hop_0.direct_rule,
        coalesce(
            hop_1.direct_rule,
            hop_2.direct_rule,
            hop_3.direct_rule,
            hop_4.direct_rule,
            hop_5.direct_rule
        ) is not null as has_attached_ancestor
    from transaction_direct as hop_0
    left join transaction_direct as hop_1
        on hop_0.original_transaction_id = hop_1.transaction_id
    left join transaction_direct as hop_2
        on hop_1.original_transaction_id = hop_2.transaction_id
    left join transaction_direct as hop_3
        on hop_2.original_transaction_id = hop_3.transaction_id
    left join transaction_direct as hop_4
        on hop_3.original_transaction_id = hop_4.transaction_id
    left join transaction_direct as hop_5
        on hop_4.original_transaction_id = hop_5.transaction_id
),

transaction_rules as (
    select
        transaction_id as record_key,
        case
            when direct_rule is not null then direct_rule
            when has_attached_ancestor then 'transaction_chain'
            else 'unmatched'
        end as match_rule
    from transaction_chains
),

all_records as (
    select
        'crm_contacts' as source,
        cast(contact_id as {{ dbt.type_string() }}) as record_key,
        match_rule
    from contacts
    union all
    select
        'shop_orders' as source,
        cast(order_id as {{ dbt.type_string() }}) as record_key,
        match_rule
    from orders
    union all
    select
        'support_tickets' as source,
        cast(ticket_id as {{ dbt.type_string() }}) as record_key,
        match_rule
    from tickets
    union all
    select
        'messaging_events' as source,
        cast(message_event_id as {{ dbt.type_string() }}) as record_key,
        match_rule
    from messages
    union all
    select
        'processor_a_charges' as source,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        match_rule
    from charge_rules
    union all
    select
        'processor_b_transactions' as source,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        match_rule
    from transaction_rules
),

rule_counts as (
    select
        source,
        match_rule,
        count(*) as records
    from all_records
    group by 1, 2
),

source_counts as (
    select
        source,
        count(*) as source_records
    from all_records
    group by 1
),

unmatched_samples_ranked as (
    select
        source,
        match_rule,
        record_key,
        row_number() over (
            partition by source, match_rule
            order by record_key
        ) as sample_rank
    from all_records
    where match_rule = 'unmatched'
),

unmatched_samples as (
    select
        source,
        match_rule,
        {{ dbt.listagg('record_key', "', '", 'order by record_key') }} as sample_record_keys
    from unmatched_samples_ranked
    where sample_rank <= 5
    group by 1, 2
),

final as (
    select
        {{ dbt.concat(['rule_counts.source', "':'", 'rule_counts.match_rule']) }} as audit_key,
        rule_counts.source,
        rule_counts.match_rule,
        rule_counts.match_rule = 'unmatched' as is_unmatched,
        rule_counts.records,
        source_counts.source_records,
        round(
            cast(rule_counts.records as {{ dbt.type_numeric() }}) / source_counts.source_records, 6
        ) as share_of_source,
        unmatched_samples.sample_record_keys
    from rule_counts
    inner join source_counts
        on rule_counts.source = source_counts.source
    left join unmatched_samples
        on
            rule_counts.source = unmatched_samples.source
            and rule_counts.match_rule = unmatched_samples.match_rule
)

select * from final
