{#-
    Rule D1 (account): every CRM contact attached to at most one account (billing customer),
    first rule that matches wins:
      (a) `billing_customer_id`: a known customer named by the contact itself, else by
          another contact of the same person (person order: the winner first);
      (b) `customer_crm_contact_id`: a customer whose `crm_contact_id` is this contact, else
          one of the person's contacts; several such customers: the newest;
      (c) `customer_email`: the contact's email hash equals a customer's email hash; several
          customers with that email: the newest (latest `created_at`, tie greatest id).
    Otherwise `unmatched` with a null account. One row per contact.
-#}
with

contacts as (
    select * from {{ ref('int_contacts_merged') }}
),

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

-- (a) known customers named by any contact of the person
customer_refs as (
    select
        contacts.person_key,
        contacts.contact_id as via_contact_id,
        contacts.person_rank as via_person_rank,
        customers.customer_id as account_id
    from contacts
    inner join customers
        on contacts.billing_customer_id = customers.customer_id
),

rule_customer_ref_ranked as (
    select
        contacts.contact_id,
        customer_refs.account_id,
        customer_refs.via_contact_id,
        row_number() over (
            partition by contacts.contact_id
            order by
                case when customer_refs.via_contact_id = contacts.contact_id then 0 else 1 end,
                customer_refs.via_person_rank
        ) as candidate_rank
    from contacts
    inner join customer_refs
        on contacts.person_key = customer_refs.person_key
),

rule_customer_ref as (
    select * from rule_customer_ref_ranked
    where candidate_rank = 1
),

-- (b) customers pointing at any contact of the person
contact_refs as (
    select
        contacts.person_key,
        contacts.contact_id as via_contact_id,
        customers.customer_id as account_id,
        customers.created_at as customer_created_at
    from customers
    inner join contacts
        on customers.crm_contact_id = contacts.contact_id
),

rule_contact_ref_ranked as (
    select
        contacts.contact_id,
        contact_refs.account_id,
        contact_refs.via_contact_id,
        row_number() over (
            partition by contacts.contact_id
            order by
                case when contact_refs.via_contact_id = contacts.contact_id then 0 else 1 end asc,
                contact_refs.customer_created_at desc,
                contact_refs.account_id desc
        ) as candidate_rank
    from contacts
    inner join contact_refs
        on contacts.person_key = contact_refs.person_key
),

rule_contact_ref as (
    select * from rule_contact_ref_ranked
    where candidate_rank = 1
),

-- (c) the newest customer per normalised email hash
customer_emails_ranked as (
    select
        email_hash,
        customer_id as account_id,
        row_number() over (
            partition by email_hash
            order by created_at desc, customer_id desc
        ) as customer_rank
    from customers
    where email_hash is not null
),

customer_emails as (
    select * from customer_emails_ranked
    where customer_rank = 1
),

final as (
    select
        contacts.contact_id,
        contacts.person_key,
        contacts.email_hash,
        contacts.phone_hash,
        contacts.is_deleted,
        coalesce(
            rule_customer_ref.account_id,
            rule_contact_ref.account_id,
            customer_emails.account_id
        ) as account_id,
        case
            when rule_customer_ref.account_id is not null then 'billing_customer_id'
            when rule_contact_ref.account_id is not null then 'customer_crm_contact_id'
            when customer_emails.account_id is not null then 'customer_email'
            else 'unmatched'
        end as match_rule,
        case
            when rule_customer_ref.account_id is not null then rule_customer_ref.via_contact_id
            when rule_contact_ref.account_id is not null then rule_contact_ref.via_contact_id
            when customer_emails.account_id is not null then contacts.contact_id
        end as matched_via_contact_id,
        coalesce(
            rule_customer_ref.account_id,
            rule_contact_ref.account_id,
            customer_emails.account_id
        ) is null as is_unmatched
    from contacts
    left join rule_customer_ref
        on contacts.contact_id = rule_customer_ref.contact_id
    left join rule_contact_ref
        on contacts.contact_id = rule_contact_ref.contact_id
    left join customer_emails
        on contacts.email_hash = customer_emails.email_hash
)

select * from final
