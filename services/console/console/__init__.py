"""工作台: the web console of clerks and of the district government, on the services' APIs."""
