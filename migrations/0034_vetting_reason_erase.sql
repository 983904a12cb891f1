-- Erasing a person (issue 16) erases the reasons of the vetting decisions on
-- them: a decision still never changes, except that its reason may become
-- the erased marker, once, and nothing else with it.
DROP TRIGGER vetting_decision_no_update;

CREATE TRIGGER vetting_decision_no_update BEFORE UPDATE ON vetting_decision
WHEN NOT (NEW.reason = '[effacé]' AND NEW.id = OLD.id AND NEW.serial = OLD.serial
          AND NEW.status = OLD.status AND NEW.at_ms = OLD.at_ms AND NEW.by = OLD.by)
BEGIN SELECT RAISE(ABORT, 'a vetting decision never changes (only its reason is erased with the person)'); END;
