"""Reports assembled from the metrics for people to read: the joint report of a reporting cycle."""
