"""Running the planner as several processes behind a load balancer (``make replicas``)."""
