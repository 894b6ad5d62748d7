{#-
    Rule D4: one row per rebill with its renewal outcome, how a recovered one was won, and the
    account's value segment (rule D7, as of the last reported month) for slicing.
    Grain: one row per rebill. Primary key: invoice_id.
-#}
with

renewals as (
    select * from {{ ref('int_renewals_classified') }}
),

value_segments as (
    select * from {{ ref('int_account_value_segments') }}
),

final as (
    select
        cast(renewals.invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(renewals.subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(renewals.account_id as {{ dbt.type_string() }}) as account_id,
        cast(renewals.billed_month as date) as billed_month,
        cast(renewals.created_at as timestamp) as created_at,
        cast(renewals.amount_usd as decimal(18, 2)) as amount_usd,
        cast(renewals.outcome as {{ dbt.type_string() }}) as outcome,
        cast(renewals.recovery_method as {{ dbt.type_string() }}) as recovery_method,
        cast(renewals.attempt_count as {{ dbt.type_int() }}) as attempt_count,
        cast(renewals.first_attempt_at as timestamp) as first_attempt_at,
        cast(renewals.first_attempt_gateway as {{ dbt.type_string() }}) as first_attempt_gateway,
        cast(renewals.is_first_attempt_approved as boolean) as is_first_attempt_approved,
        cast(renewals.first_approved_at as timestamp) as first_approved_at,
        cast(renewals.approved_gateway as {{ dbt.type_string() }}) as approved_gateway,
        cast(renewals.window_closes_at as timestamp) as window_closes_at,
        cast(round(renewals.hours_to_recover, 2) as decimal(18, 2)) as hours_to_recover,
        cast(renewals.gateways_tried as {{ dbt.type_string() }}) as gateways_tried,
        cast(coalesce(renewals.has_recovery_message, false) as boolean) as has_recovery_message,
        cast(renewals.recovery_message_flow as {{ dbt.type_string() }}) as recovery_message_flow,
        cast(coalesce(value_segments.value_segment, 'tail') as {{ dbt.type_string() }}) as value_segment
    from renewals
    left join value_segments
        on renewals.account_id = value_segments.account_id
)

select * from final
