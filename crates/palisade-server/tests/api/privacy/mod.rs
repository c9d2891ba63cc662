mod erasures;
