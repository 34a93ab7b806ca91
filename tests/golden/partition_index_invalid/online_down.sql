-- PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the DROP takes ACCESS
-- EXCLUSIVE on the table and its partitions briefly.
-- retort:lint-ignore require-concurrent-index-deletion
DROP INDEX public.readings_sensor_idx;
