"""`qorgau generate-national`: a believable synthetic country at N times national volume."""
