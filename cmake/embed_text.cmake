# Writes a C++ source defining a text file's contents as a string (cmake -DIN=file -DOUT=file.cpp
# -DNAME=identifier -P embed_text.cmake), so a binary carries a script it runs.
file(READ "${IN}" content)
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/embed_text.cmake: do not edit.\n"
  "namespace znssim::platform {\nextern const char ${NAME}[];\n"
  "const char ${NAME}[] = R\"znssim_embedded(${content})znssim_embedded\";\n}\n")
