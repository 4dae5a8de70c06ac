-- How a person wants to be reached, in order: their channels from app, email, sms and
-- phone_call as words separated by commas ("email,phone_call"). Empty (NULL) means the default
-- their details give: email when they have one, then a text to a UK mobile, then a call.
ALTER TABLE users ADD COLUMN contact_by TEXT;
