{#-
    Refunds and chargebacks on both gateways, linked to the payment they reverse (rule D7):
    processor A refunds and disputes by charge; processor B `refund` (approved only) and
    `chargeback` transactions through the original_transaction_id chain. Amounts are absolute
    and converted at the rate of the reversal's own month. Reversals after as_of are left out.
-#}
with

charges as (
    select * from {{ ref('stg_processor_a__charges') }}
),

refunds as (
    select * from {{ ref('stg_processor_a__refunds') }}
),

disputes as (
    select * from {{ ref('stg_processor_a__disputes') }}
),

transactions as (
    select * from {{ ref('stg_processor_b__transactions') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

-- Accounts (rule D1), orphan customer ids that billing references included.
customers as (
    select account_id as customer_id from {{ ref('int_accounts_resolved') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

{{ transaction_chain_ctes('transactions', 'chain', ['invoice_id', 'customer_id']) }},

charge_accounts as (
    select
        charges.charge_id,
        charges.currency,
        coalesce(known_customers.customer_id, invoice_customers.customer_id) as account_id
    from charges
    left join customers as known_customers
        on charges.customer_id = known_customers.customer_id
    left join invoices
        on charges.invoice_id = invoices.invoice_id
    left join customers as invoice_customers
        on invoices.customer_id = invoice_customers.customer_id
),

processor_a_refunds as (
    select
        refunds.refund_id as reversal_id,
        'processor_a' as gateway,
        'refund' as reversal_type,
        refunds.charge_id as reversed_payment_id,
        refunds.created_at as reversed_at,
        abs(refunds.amount_minor) as amount_minor,
        charge_accounts.currency,
        charge_accounts.account_id,
        true as counts_against_revenue
    from refunds
    left join charge_accounts
        on refunds.charge_id = charge_accounts.charge_id
),

processor_a_disputes as (
    select
        disputes.dispute_id as reversal_id,
        'processor_a' as gateway,
        'chargeback' as reversal_type,
        disputes.charge_id as reversed_payment_id,
        disputes.created_at as reversed_at,
        abs(disputes.amount_minor) as amount_minor,
        charge_accounts.currency,
        charge_accounts.account_id,
        disputes.dispute_status = 'lost' as counts_against_revenue
    from disputes
    left join charge_accounts
        on disputes.charge_id = charge_accounts.charge_id
),

processor_b_reversals as (
    select
        transactions.transaction_id as reversal_id,
        'processor_b' as gateway,
        transactions.transaction_type as reversal_type,
        transactions.original_transaction_id as reversed_payment_id,
        transactions.transacted_at as reversed_at,
        abs(transactions.amount_minor) as amount_minor,
        transactions.currency,
        coalesce(known_customers.customer_id, invoice_customers.customer_id) as account_id,
        (transactions.transaction_type = 'chargeback' or transactions.response = 'approved')
            as counts_against_revenue
    from transactions
    inner join chain_resolved
        on transactions.transaction_id = chain_resolved.transaction_id
    left join customers as known_customers
        on chain_resolved.resolved_customer_id = known_customers.customer_id
    left join invoices
        on chain_resolved.resolved_invoice_id = invoices.invoice_id
    left join customers as invoice_customers
        on invoices.customer_id = invoice_customers.customer_id
    where transactions.transaction_type in ('refund', 'chargeback')
),

unioned as (
    select * from processor_a_refunds
    union all
    select * from processor_a_disputes
    union all
    select * from processor_b_reversals
),

converted as (
    select
        unioned.*,
        cast({{ dbt.date_trunc('month', 'unioned.reversed_at') }} as date) as reversed_month,
        {{ minor_to_usd('unioned.amount_minor', 'currencies.exponent', 'fx_rates.usd_per_unit') }} as amount_usd
    from unioned
    cross join as_of
    left join currencies
        on unioned.currency = currencies.currency
    left join fx_rates
        on
            unioned.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'unioned.reversed_at') }} as date) = fx_rates.month
    where {{ within_as_of('unioned.reversed_at') }}
),

final as (
    select
        reversal_id,
        gateway,
        reversal_type,
        reversed_payment_id,
        account_id,
        reversed_at,
        reversed_month,
        amount_minor,
        currency,
        amount_usd,
        counts_against_revenue,
        reversal_type = 'chargeback' and counts_against_revenue as is_lost_chargeback,
        account_id is null as is_unmatched,
        amount_usd is null as is_missing_fx_rate
    from converted
)

select * from final
