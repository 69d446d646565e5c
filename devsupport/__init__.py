"""Test and development support, not product code: runners for Pushpin and Varnish.

The tests, the benchmarks and a developer trying the live streams or the edge
locally start real `pushpin` and `varnishd` processes through these. The
product never imports this package (production runs both as services:
docker-compose.yml).
"""
