"""Member features: onboarding, profile, language, help, personal data, account links, roles."""

from bot.router import Router
from handlers.members import account_link, help, onboarding, personal_data, profile, roles


def register(router: Router) -> None:
    for module in (onboarding, profile, help, personal_data, account_link, roles):
        module.register(router)
