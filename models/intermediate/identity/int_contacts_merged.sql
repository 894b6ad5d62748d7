{#-
    Rule D1 (account) preparation: CRM contacts merged into persons. Contacts that share a
    normalised email hash form one person; a contact without an email joins the contacts
    without an email that share its phone hash; a contact with neither is a person alone.
    The person's winning contact (its `person_key`) is the live contact with the latest
    `updated_at`, tie the greatest `contact_id`; a deleted contact wins only when every
    contact of the person is deleted. One row per contact.
-#}
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

grouped as (
    select
        contact_id,
        email_hash,
        phone_hash,
        billing_customer_id,
        lifecycle_stage,
        acquisition_channel,
        country,
        created_at,
        updated_at,
        is_deleted,
        case
            when email_hash is not null then 'email'
            when phone_hash is not null then 'phone'
            else 'none'
        end as person_match_type,
        case
            when email_hash is not null then {{ dbt.concat(["'email:'", 'email_hash']) }}
            when phone_hash is not null then {{ dbt.concat(["'phone:'", 'phone_hash']) }}
            else {{ dbt.concat(["'contact:'", 'contact_id']) }}
        end as person_group_key
    from contacts
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_group_key
            order by
                case when is_deleted then 1 else 0 end asc,
                updated_at desc nulls last,
                contact_id desc
        ) as person_rank,
        count(*) over (partition by person_group_key) as person_contact_count
    from grouped
),

winners as (
    select
        person_group_key,
        contact_id as person_key,
        lifecycle_stage,
        acquisition_channel,
        country,
        is_deleted
    from ranked
    where person_rank = 1
),

final as (
    select
        ranked.contact_id,
        winners.person_key,
        ranked.person_rank,
        ranked.person_rank = 1 as is_person_winner,
        ranked.person_match_type,
        ranked.person_contact_count,
        ranked.email_hash,
        ranked.phone_hash,
        ranked.billing_customer_id,
        ranked.created_at,
        ranked.updated_at,
        ranked.is_deleted,
        winners.is_deleted as is_person_deleted,
        winners.lifecycle_stage,
        winners.acquisition_channel,
        winners.country
    from ranked
    inner join winners
        on ranked.person_group_key = winners.person_group_key
)

select * from final
