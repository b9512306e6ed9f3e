"""talent-bot: a Discord bot that answers questions about AI talent news, citing its sources."""
