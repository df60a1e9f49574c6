-- The case list sorted by status follows the workflow, not the codes'
-- alphabet (issue 9). The expression is the one store::cases::list builds
-- from Status::workflow_rank; with it indexed, the order walks this index
-- without a sort, also at a million cases. The unit test
-- every_order_of_the_list_walks_an_index_without_sorting fails if the two
-- ever differ.
CREATE INDEX IF NOT EXISTS cases_status_workflow ON cases (
    (CASE status
        WHEN 'registered' THEN 0
        WHEN 'in_mediation' THEN 1
        WHEN 'settled' THEN 2
        WHEN 'failed' THEN 3
        WHEN 'withdrawn' THEN 4
        WHEN 'declined' THEN 5
        WHEN 'voided' THEN 6
    END),
    received_on
);
