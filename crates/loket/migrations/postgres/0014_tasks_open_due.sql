-- The open tasks and callbacks by due time: the wall board's items near breach, the queues.
CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status = 'te_verwerken';
