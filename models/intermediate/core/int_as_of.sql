{#- Rule D1: the one as_of instant of the build, and the reported month range. One row. -#}
with

invoices as (
    select created_at from {{ ref('stg_billing__invoices') }}
),

charges as (
    select created_at from {{ ref('stg_processor_a__charges') }}
    where charge_status in ('succeeded', 'failed')
),

transactions as (
    select transacted_at from {{ ref('stg_processor_b__transactions') }}
    where transaction_type = 'sale' and response in ('approved', 'declined', 'error')
),

latest_activity as (
    select max(activity_at) as latest_activity_at
    from (
        select created_at as activity_at from invoices
        union all
        select created_at as activity_at from charges
        union all
        select transacted_at as activity_at from transactions
    ) as activity
),

first_invoice as (
    select min(created_at) as first_invoice_at from invoices
),

as_of_instant as (
    select
        {% if var('as_of_date') %}
            {{ dbt.dateadd('day', 1, "cast('" ~ var('as_of_date') ~ "' as timestamp)") }} as as_of_at,
            true as is_as_of_exclusive,
            'var:as_of_date' as as_of_source,
        {% else %}
            latest_activity.latest_activity_at as as_of_at,
            false as is_as_of_exclusive,
            'latest invoice or payment attempt' as as_of_source,
        {% endif %}
        first_invoice.first_invoice_at
    from latest_activity
    cross join first_invoice
),

final as (
    select
        as_of_at,
        is_as_of_exclusive,
        as_of_source,
        cast({{ dbt.date_trunc('month', 'first_invoice_at') }} as date) as first_reported_month,
        cast({{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'as_of_at')) }} as date) as last_reported_month
    from as_of_instant
)

select * from final
