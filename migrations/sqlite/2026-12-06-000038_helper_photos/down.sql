DROP TABLE helper_photos;
