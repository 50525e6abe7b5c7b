from tests.dossiers.conftest import people

__all__ = ["people"]
