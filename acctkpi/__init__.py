"""acctkpi: tooling for the account-KPI dbt project (synthetic raw-data generator: acctkpi.generate)."""

__all__ = ["generate"]
