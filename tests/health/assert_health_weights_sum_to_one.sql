{#-
    Rule D8: the five health-score weights (vars in dbt_project.yml) must add up to 1, so the
    health score is a weighted mean. Returns one row, with the sum, when they do not.
-#}
select weight_sum
from (
    select
        {{ var('health_weight_payment') }}
        + {{ var('health_weight_renewal') }}
        + {{ var('health_weight_support') }}
        + {{ var('health_weight_orders') }}
        + {{ var('health_weight_engagement') }} as weight_sum
) as weights
where abs(weight_sum - 1) > 1e-9
