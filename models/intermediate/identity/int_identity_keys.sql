{#-
    Rule D1 (account): lookup keys that attach other records (orders, tickets, messages) to an
    account, exactly one account per (key_type, key_hash):
      - `customer_email`: a customer's email hash; several customers share it: the newest;
      - `crm_contact_email`: the email hash of a CRM contact already attached to an account,
        only when it is not a customer email;
      - `crm_contact_phone`: the phone hash of a CRM contact already attached to an account.
    A contact email or phone that leads to several accounts keeps the newest customer
    (latest `created_at`, tie greatest id); `candidate_account_count` shows the conflict.
-#}
with

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

contacts as (
    select * from {{ ref('int_contacts_matched') }}
),

customer_email_candidates as (
    select
        'email' as key_type,
        email_hash as key_hash,
        customer_id as account_id,
        'customer_email' as key_source,
        created_at as customer_created_at
    from customers
    where email_hash is not null
),

contact_email_candidates as (
    select distinct
        'email' as key_type,
        contacts.email_hash as key_hash,
        contacts.account_id,
        'crm_contact_email' as key_source,
        customers.created_at as customer_created_at
    from contacts
    inner join customers
        on contacts.account_id = customers.customer_id
    left join customer_email_candidates
        on contacts.email_hash = customer_email_candidates.key_hash
    where
        contacts.email_hash is not null
        and customer_email_candidates.key_hash is null
),

contact_phone_candidates as (
    select distinct
        'phone' as key_type,
        contacts.phone_hash as key_hash,
        contacts.account_id,
        'crm_contact_phone' as key_source,
        customers.created_at as customer_created_at
    from contacts
    inner join customers
        on contacts.account_id = customers.customer_id
    where contacts.phone_hash is not null
),

candidates as (
    select * from customer_email_candidates
    union all
    select * from contact_email_candidates
    union all
    select * from contact_phone_candidates
),

ranked as (
    select
        *,
        row_number() over (
            partition by key_type, key_hash
            order by customer_created_at desc, account_id desc
        ) as candidate_rank,
        count(*) over (partition by key_type, key_hash) as candidate_account_count
    from candidates
),

final as (
    select
        {{ dbt.concat(['key_type', "':'", 'key_hash']) }} as identity_key,
        key_type,
        key_hash,
        account_id,
        key_source,
        candidate_account_count,
        candidate_account_count > 1 as has_multiple_accounts
    from ranked
    where candidate_rank = 1
)

select * from final
