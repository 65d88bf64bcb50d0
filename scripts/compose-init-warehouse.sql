-- docker-compose only: the warehouse database beside Airflow's metadata database on the same server.
CREATE DATABASE news OWNER airflow;
