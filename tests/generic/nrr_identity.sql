{#-
    Generic test (rule D5, NRR identity): fails with every row where
    starting MRR + expansion − churned revenue differs (to the cent) from the starting accounts'
    `end_cc`, i.e. the NRR numerator does not reconcile to the accounts that were in the base.
    When `nrr_column` is given it also fails rows whose NRR % is not
    100 × starting accounts' end_cc ÷ starting (within `pct_tolerance`), or is not NULL when
    starting MRR is 0. Nulls in the money columns count as failures.
-#}
{% test nrr_identity(
    model,
    starting_column='starting_mrr_usd',
    expansion_column='expansion_usd',
    churned_column='churned_revenue_usd',
    end_cc_column='starting_accounts_end_cc_mrr_usd',
    nrr_column=none,
    pct_tolerance=0.01
) %}

select *
from {{ model }}
where
    not coalesce(
        {{ starting_column }} + {{ expansion_column }} - {{ churned_column }} = {{ end_cc_column }},
        false
    )
    {%- if nrr_column %}
    or ({{ starting_column }} = 0 and {{ nrr_column }} is not null)
    or (
        {{ starting_column }} <> 0
        and not coalesce(
            abs({{ nrr_column }} - 100.0 * {{ end_cc_column }} / {{ starting_column }}) <= {{ pct_tolerance }},
            false
        )
    )
    {%- endif %}

{% endtest %}
