"""Looks up the user and stores the enriched click."""

import psycopg2
import requests

USERS_URL = "http://users.internal/api/users"


def enrich_and_store(click: dict) -> None:
    user = requests.get(f"{USERS_URL}/{click['user_id']}", timeout=5).json()
    click["country"] = user.get("country")
    with psycopg2.connect("dbname=clicks") as conn:
        conn.cursor().execute("INSERT INTO clicks VALUES (%s, %s)", (click["id"], click["country"]))
