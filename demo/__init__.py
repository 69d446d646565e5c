"""The demo story (Karabakh, September 2023) and a demo editor account, for `make run`."""
