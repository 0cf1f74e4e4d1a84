"""Member features: onboarding, profile, language, help, personal data, account links, roles,
invitations to claim a directory entry, and the admins' sign-in to the dashboard."""

from bot.router import Router
from bot.services import Services
from handlers.members import (
    account_link,
    dashboard,
    help,
    invitations,
    membership,
    miniapp_auth,
    news_offer,
    onboarding,
    personal_data,
    profile,
    roles,
    topic_examples,
)


def register(router: Router) -> None:
    for module in (
        onboarding,
        profile,
        news_offer,
        help,
        personal_data,
        account_link,
        roles,
        invitations,
        membership,
        dashboard,
        miniapp_auth,
    ):
        module.register(router)


async def on_start(services: Services) -> None:
    """The texts' topic examples from this network's directory, from the start on."""
    await topic_examples.refresh(services)
