{#-
    Rule D1 (account): one row per billing customer, deleted customers kept, plus customer ids
    that subscriptions or invoices reference but billing's customer export lacks (flagged). The attached CRM
    person is the person of the contacts attached to the account by the strongest rule
    (`billing_customer_id`, then `customer_crm_contact_id`, then `customer_email`); several
    persons at that rule: the live winner with the latest `updated_at`, tie the greatest
    `person_key`. Its winning contact gives `lifecycle_stage`, `acquisition_channel` and
    `country`; an account without a person (or a winner without a channel) has
    `acquisition_channel` = 'unknown'.
-#}
with

known_customers as (
    select * from {{ ref('stg_billing__customers') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

-- Rule D0 orphans: a customer id that subscriptions or invoices carry but whose customer row
-- is missing or quarantined is still that billing customer's account, so its MRR and
-- payments are not lost; it is kept and flagged.
referenced_customer_ids as (
    select customer_id from subscriptions
    union
    select customer_id from invoices
),

orphan_customer_ids as (
    select referenced_customer_ids.customer_id
    from referenced_customer_ids
    left join known_customers
        on referenced_customer_ids.customer_id = known_customers.customer_id
    where
        referenced_customer_ids.customer_id is not null
        and known_customers.customer_id is null
),

customers as (
    select
        customer_id,
        created_at,
        is_deleted,
        currency,
        email_hash,
        true as is_known_customer
    from known_customers
    union all
    select
        customer_id,
        cast(null as timestamp) as created_at,
        false as is_deleted,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ dbt.type_string() }}) as email_hash,
        false as is_known_customer
    from orphan_customer_ids
),

matched_contacts as (
    select * from {{ ref('int_contacts_matched') }}
    where account_id is not null
),

merged_contacts as (
    select * from {{ ref('int_contacts_merged') }}
),

attached_persons as (
    select
        matched_contacts.account_id,
        matched_contacts.person_key,
        min(
            case matched_contacts.match_rule
                when 'billing_customer_id' then 1
                when 'customer_crm_contact_id' then 2
                else 3
            end
        ) as rule_priority
    from matched_contacts
    group by 1, 2
),

attached_contact_counts as (
    select
        account_id,
        count(*) as attached_contact_count
    from matched_contacts
    group by 1
),

ranked_persons as (
    select
        attached_persons.account_id,
        attached_persons.person_key,
        attached_persons.rule_priority,
        row_number() over (
            partition by attached_persons.account_id
            order by
                attached_persons.rule_priority asc,
                case when winners.is_deleted then 1 else 0 end asc,
                winners.updated_at desc nulls last,
                attached_persons.person_key desc
        ) as person_rank
    from attached_persons
    inner join merged_contacts as winners
        on attached_persons.person_key = winners.contact_id
),

account_persons as (
    select
        ranked_persons.account_id,
        ranked_persons.person_key,
        case ranked_persons.rule_priority
            when 1 then 'billing_customer_id'
            when 2 then 'customer_crm_contact_id'
            else 'customer_email'
        end as crm_match_rule,
        winners.lifecycle_stage,
        winners.acquisition_channel,
        winners.country
    from ranked_persons
    inner join merged_contacts as winners
        on ranked_persons.person_key = winners.contact_id
    where ranked_persons.person_rank = 1
),

final as (
    select
        customers.customer_id as account_id,
        customers.created_at,
        customers.is_deleted,
        customers.currency,
        customers.email_hash,
        customers.is_known_customer,
        account_persons.person_key as contact_id,
        account_persons.person_key,
        account_persons.person_key is not null as has_crm_contact,
        coalesce(account_persons.crm_match_rule, 'unmatched') as crm_match_rule,
        coalesce(attached_contact_counts.attached_contact_count, 0) as attached_contact_count,
        coalesce(account_persons.acquisition_channel, 'unknown') as acquisition_channel,
        account_persons.country,
        account_persons.lifecycle_stage
    from customers
    left join account_persons
        on customers.customer_id = account_persons.account_id
    left join attached_contact_counts
        on customers.customer_id = attached_contact_counts.account_id
)

select * from final
