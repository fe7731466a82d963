import pytest


@pytest.fixture
def demo_site(db):
    """The whole demo site, built by seed_demo's builders."""
    from cms.demo import site as demo
    from community.demo import records as community_demo

    community_demo.seed("mot-de-passe-demo-1")
    return demo.seed()
