-- Ad-hoc analysis (compiled, not built): D4 recovery rate by the decline class of a rebill's
-- first attempt and the gateway it was first tried on. `dbt compile -s recovery_by_first_decline_class`
-- writes the SQL to target/compiled/ to run in any client.
with

renewals as (
    select * from {{ ref('fct_renewals') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

first_attempts as (
    select
        invoice_id,
        decline_class
    from attempts
    where attempt_number = 1
),

final as (
    select
        renewals.first_attempt_gateway,
        first_attempts.decline_class,
        count(*) as rebills,
        sum(case when renewals.outcome = 'recovered' then 1 else 0 end) as recovered,
        sum(case when renewals.outcome in ('recovered', 'failed', 'late_recovery') then 1 else 0 end)
            as recoverable
    from renewals
    inner join first_attempts
        on renewals.invoice_id = first_attempts.invoice_id
    where renewals.outcome in ('recovered', 'failed', 'late_recovery')
    group by 1, 2
)

select * from final
