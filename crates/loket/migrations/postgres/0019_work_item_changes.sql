-- A work item's history also says when what had to be done, or its explanation, was changed
-- (gewijzigd), e.g. by another system through the Klantinteracties API.
ALTER TABLE work_item_events DROP CONSTRAINT work_item_events_action_check;
ALTER TABLE work_item_events ADD CONSTRAINT work_item_events_action_check
    CHECK (action IN ('aangemaakt', 'opgepakt', 'teruggezet', 'overgedragen', 'poging', 'afgerond', 'gewijzigd'));
