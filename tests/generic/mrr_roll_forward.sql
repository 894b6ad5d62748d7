{#-
    Generic test (rule D5, roll-forward): fails with every row where
    start + new + reactivation + expansion − contraction − churn + fx_impact ≠ end, to the cent.
    All movements are derived from the rounded account values, so there is no tolerance; a null
    in any term counts as a failure.
-#}
{% test mrr_roll_forward(
    model,
    start_column='start_mrr_usd',
    new_column='new_usd',
    reactivation_column='reactivation_usd',
    expansion_column='expansion_usd',
    contraction_column='contraction_usd',
    churn_column='churn_usd',
    fx_impact_column='fx_impact_usd',
    end_column='end_mrr_usd'
) %}

select *
from {{ model }}
where
    not coalesce(
        {{ start_column }} + {{ new_column }} + {{ reactivation_column }} + {{ expansion_column }}
        - {{ contraction_column }} - {{ churn_column }} + {{ fx_impact_column }} = {{ end_column }},
        false
    )

{% endtest %}
