DROP TABLE idea_co_owners;
